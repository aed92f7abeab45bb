import Testing
@testable import DeskCore

/// Key names are looked up in the core keysym names first and in the script keysyms (parsed only when needed)
/// second; the answer must be what one lookup over both tables gives.
@Suite("keysym lookup order")
struct KeySymbolLookupTests {
    /// The lookup over both tables at once (an exact name, else an exactly lowercase spelling, else the first).
    static func reference(_ text: String) -> String? {
        if KeySymbolTable.nameSet.contains(text) { return KeySymbolTable.synonyms[text] ?? text }
        guard let spellings = KeySymbolTable.byLowercase[text.lowercased()] else { return nil }
        let chosen = spellings.first(where: { $0 == text.lowercased() }) ?? spellings[0]
        return KeySymbolTable.synonyms[chosen] ?? chosen
    }

    @Test func everyNameInEveryCaseResolvesAsOneLookupOverBothTables() {
        let all = KeySymbolTable.names + KeySymbolTable.scriptKeysyms.map(\.name)
        var checked = 0
        for name in all {
            for text in [name, name.lowercased(), name.uppercased()] where text.count > 1 {
                // Aliases (enter, ctrl) and Unicode keysym names are answered before either table.
                guard KeyNameAliases.aliases[text.lowercased()] == nil, KeyName.unicodeScalar(ofKeysym: text) == nil else { continue }
                #expect(KeyName.lookup(text)?.keysym == Self.reference(text), "\(text)")
                checked += 1
            }
        }
        #expect(checked > 5000)
    }

    @Test func scriptNamesAreFoundWithoutParsingTheTable() {
        #expect(KeySymbolTable.isScriptName("Cyrillic_shorti"))
        #expect(KeySymbolTable.isScriptName("Sinh_kunddaliya"), "the last line")
        #expect(KeySymbolTable.isScriptName("3270_Duplicate"), "the first line")
        #expect(!KeySymbolTable.isScriptName("Cyrillic_short"), "a prefix of a name is not a name")
        #expect(!KeySymbolTable.isScriptName("Return"), "core names are not script names")
        #expect(!KeySymbolTable.isScriptName(""))
    }
}
