import DeskCore

/// A top-level window as the grounders see it (id, WM_CLASS, title, geometry), bottom to top in stacking
/// order: the same value the agent loop and the task runner already have from `WindowLookup.windows()`.
public typealias WindowBox = WindowSummary
