extension Policy {
    /// The policy that enforces both `self` (the floor: the daemon's `--policy`, `act --policy`) and
    /// `other` (a job's or task's own): policies only tighten.
    ///
    /// Field by field: every deny of both applies; allow-lists intersect (an action must be on both);
    /// for each limit the smaller wins; `abort` beats `feedback`; `pause_on_user_input` is on when either
    /// says so; `confirm` rules and `redact` patterns are joined (the floor's first); the typed stream is
    /// the longer of the two; the floor's kill switch stays.
    public func intersected(with other: Policy) -> Policy {
        if self == other { return self }
        var result = self
        result.name = name == other.name ? name : "\(name)+\(other.name)"
        result.description = [description, other.description].compactMap { $0 }.joined(separator: "; ")
        if result.description?.isEmpty == true { result.description = nil }
        result.limits = limits.merged(with: other.limits)

        result.actions.allow = Self.intersect(actions.allow, other.actions.allow)
        result.actions.deny = Self.union(actions.deny, other.actions.deny)

        result.keys.deny = Self.union(keys.deny, other.keys.deny)
        (result.keys.allow, result.keys.floorAllow) = Self.allowLists(keys.allow, keys.floorAllow,
                                                                      other.keys.allow, other.keys.floorAllow)
        result.windows.deny = Self.union(windows.deny, other.windows.deny)
        (result.windows.allow, result.windows.floorAllow) = Self.allowLists(windows.allow, windows.floorAllow,
                                                                            other.windows.allow, other.windows.floorAllow)
        result.regions.deny = Self.union(regions.deny, other.regions.deny)
        (result.regions.allow, result.regions.floorAllow) = Self.allowLists(regions.allow, regions.floorAllow,
                                                                            other.regions.allow, other.regions.floorAllow)

        result.text.deny = Self.union(text.deny, other.text.deny)
        result.text.streamLength = max(text.streamLength, other.text.streamLength)
        result.confirm = Self.union(confirm, other.confirm)
        result.redact = Self.union(redact, other.redact)
        result.onViolation = onViolation == .abort || other.onViolation == .abort ? .abort : .feedback
        result.pauseOnUserInput = pauseOnUserInput || other.pauseOnUserInput
        result.killSwitch = killSwitch
        return result
    }

    private static func union<T: Hashable>(_ a: [T], _ b: [T]) -> [T] {
        var seen = Set(a)
        return a + b.filter { seen.insert($0).inserted }
    }

    /// Kinds allowed by both (`nil`: no allow-list, everything).
    private static func intersect<T: Hashable>(_ a: [T]?, _ b: [T]?) -> [T]? {
        guard let a else { return b }
        guard let b else { return a }
        let keep = Set(b)
        return a.filter { keep.contains($0) }
    }

    /// Pattern allow-lists cannot be intersected into one list, so the first stays `allow` and the others
    /// join the lists every action must also be on.
    private static func allowLists<T: Hashable>(_ a: [T]?, _ aFloor: [[T]], _ b: [T]?, _ bFloor: [[T]]) -> ([T]?, [[T]]) {
        var lists = aFloor
        for list in [b].compactMap({ $0 }) + bFloor where !lists.contains(list) && list != a { lists.append(list) }
        return (a ?? (lists.isEmpty ? nil : lists.removeFirst()), lists)
    }
}
