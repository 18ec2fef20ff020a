import Foundation

protocol RemarkReading {
    /// The item's remarks, oldest first, with the names of who returned and who answered.
    func remarks(itemID: Int64) throws -> [Remark]
}

protocol RemarkWriting {
    func insertRemarks(itemID: Int64, texts: [String], by userID: Int64, at: Date) throws
    func answerRemark(id: Int64, _ answer: RemarkAnswer, text: String?, by userID: Int64, at: Date) throws
    /// Closes the item's remarks not closed yet, except `keepingOpen`, which lose their answer and
    /// wait for a new one.
    func closeRemarks(itemID: Int64, keepingOpen: Set<Int64>, by userID: Int64, at: Date) throws
}
