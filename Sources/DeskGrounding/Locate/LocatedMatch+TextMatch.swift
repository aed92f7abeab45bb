import DeskCore

extension LocatedMatch {
    /// A grounder's match in the shared output shape: an element's label is its `name` too, and `source`
    /// says which grounder found it.
    public init(_ match: TextMatch) {
        self.init(text: match.text, role: match.role, name: match.role == nil ? nil : match.text, box: match.box,
                  point: match.point, score: match.score, source: match.grounder)
    }
}
