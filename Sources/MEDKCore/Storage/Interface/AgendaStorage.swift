import Foundation

/// A line of an item's history with the item it belongs to.
struct ItemChange: Sendable, Hashable {
    var itemID: Int64
    var entry: HistoryEntry
}

/// What a person's first page asks beyond the items themselves: what others did since their last
/// visit, and when that was.
protocol AgendaReading {
    /// What users other than `userID` did to these items after `since`, newest first, at most `limit`.
    func changes(itemIDs: [Int64], since: Date, notBy userID: Int64, limit: Int) throws -> [ItemChange]
    /// When the user was last active before the session they signed in with most recently: the end of
    /// their previous visit (nil on a first visit).
    func previousVisit(userID: Int64) throws -> Date?
}
