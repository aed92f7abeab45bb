/// The strings the typing tests send, character for character, under every layout: ASCII punctuation (the
/// characters shells and layouts disagree on: < > | ~ ^ \ ` ' "), Latin-1, Latin Extended, Greek, Cyrillic,
/// CJK, emoji beyond the BMP, and mixtures. 60 are written by hand; 160 more are drawn deterministically from
/// per-script pools so that every run types the same 220 strings.
enum TypingCorpus {
    static let handwritten: [String] = [
        "hello", "Hello, World!", "The quick brown fox jumps over the lazy dog",
        "THE QUICK BROWN FOX", "0123456789", "a-b_c=d+e", "<>|~^\\`'\"", "!@#$%^&*()", "[]{};:,./?",
        "x < y > z", "cat file | grep -v '^#' > out", "echo \"$HOME\" && cd ~/src", "C:\\Windows\\System32",
        "`backticks` and 'quotes' and \"double\"", "a^b^c ~ tilde ~", "path/to/file.txt", "user@example.com",
        "https://example.com/a?b=c&d=e#f", "tab\there", "line one\nline two", "multi\nline\ntext\n",
        "café", "naïve", "Straße", "€100", "£5 ¥3 ¢7", "Ångström", "Æsir ØRE œuvre", "¿Qué? ¡Sí!", "àéîõü ÀÉÎÕÜ",
        "«guillemets» ±½ ×÷", "Łódź", "Gdańsk żółw", "Erdős Pál őz", "İstanbul ş ğ ı", "Čeština ř ž", "Ŝaŭmo",
        "Ελληνικά", "αβγδε ΑΒΓΔΕ", "λόγος", "привет", "Привет, мир!", "ЁЖИК ёжик", "Україна ї є ґ", "日本語",
        "中文字符", "한국어", "ひらがな カタカナ", "😀", "🚀🌍✨", "👍🏽", "👨‍👩‍👧", "🇫🇷", "mixed: café 日本 😀 <ok>",
        "café naïve Straße €100 привет 日本語 😀🚀 <tag> ~/path|pipe", "Ünïcödé Tëxt ñ ç", "q w e r t y",
        "ÿ Ÿ ß ẞ", "∑∫√∞≠≤≥", "→ ← ↑ ↓",
    ]

    /// Character pools the generated strings draw from.
    static let pools: [String] = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     ",
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ abc",
        "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß¡¿«»°±",
        "ąćęłńóśźżĄĆĘŁŃÓŚŹŻőűŐŰşğıİŞĞčřžšďťňČŘŽŠ",
        "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩάέήίόύώ ",
        "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯёЁ ",
        "日本語中文字符漢字東京北京你好世界のはをにがでとひらがなカタカナ한국어",
        "😀😃😄😁😆😅🤣😂🙂🙃😉😊🚀🌍🌟✨🔥💧🎉👍",
        "aé日😀<>|~^\\`'\"ßпλł€ \t",
    ]

    /// A small deterministic generator (SplitMix64), so the corpus is the same on every run.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let generated: [String] = {
        var rng = Generator(state: 20_250_601)
        var result: [String] = []
        for i in 0..<160 {
            // Every fifth string mixes two pools; the rest stay within one script.
            let first = Array(pools[i % pools.count])
            let second = Array(pools[rng.below(pools.count)])
            let length = 1 + rng.below(24)
            var s = ""
            for j in 0..<length {
                let pool = (i % 5 == 4 && j % 2 == 1) ? second : first
                s.append(pool[rng.below(pool.count)])
            }
            result.append(s)
        }
        return result
    }()

    static let all: [String] = handwritten + generated
}
