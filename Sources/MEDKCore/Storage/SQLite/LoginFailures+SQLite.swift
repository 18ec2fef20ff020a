import Foundation
import GRDB

/// Failed sign-in attempts, kept for as long as the throttle counts them (an hour): by login as
/// typed (lower-cased), client address and time in milliseconds. An attempt is written before its
/// password is checked (`settled = 0`) and settled once it failed: the limits of a login count
/// both, so parallel guesses are counted one by one; the limit of an address counts only settled
/// failures, so thirty colleagues behind one school's address can sign in at the same moment.
extension SQLiteTransaction {
    func recentLoginFailures(login: String, address: String, throttle: LoginThrottle, at now: Date) throws -> LoginThrottle.Failures {
        let nowMS = Self.milliseconds(now)
        var failures = LoginThrottle.Failures()
        if let row = try Row.fetchOne(statement("""
            SELECT count(*), min(at_ms) FROM login_failures WHERE address = ? AND at_ms > ? AND settled = 1
            """), arguments: [address, nowMS - Self.milliseconds(throttle.addressWindow)]) {
            failures.byAddress = row[0]
            failures.oldestByAddress = (row[1] as Int64?).map(Self.date)
        }
        if let row = try Row.fetchOne(statement("""
            SELECT count(*), max(at_ms) FROM login_failures WHERE login = ? AND address = ? AND at_ms > ?
            """), arguments: [login, address, nowMS - Self.milliseconds(throttle.pairWindow)]) {
            failures.byPair = row[0]
            failures.latestByPair = (row[1] as Int64?).map(Self.date)
        }
        if let row = try Row.fetchOne(statement("""
            SELECT count(*), min(at_ms), max(at_ms) FROM login_failures WHERE login = ? AND at_ms > ?
            """), arguments: [login, nowMS - Self.milliseconds(LoginThrottle.accountWindow)]) {
            failures.byAccount = row[0]
            failures.oldestByAccount = (row[1] as Int64?).map(Self.date)
            failures.latestByAccount = (row[2] as Int64?).map(Self.date)
        }
        return failures
    }

    func insertLoginFailure(login: String, address: String, at: Date) throws -> Int64 {
        try statement("INSERT INTO login_failures (login, address, at_ms) VALUES (?, ?, ?)")
            .execute(arguments: [login, address, Self.milliseconds(at)])
        return db.lastInsertedRowID
    }

    func settleLoginFailure(id: Int64) throws {
        try statement("UPDATE login_failures SET settled = 1 WHERE id = ?").execute(arguments: [id])
    }

    func forgetLoginFailure(id: Int64) throws {
        try statement("DELETE FROM login_failures WHERE id = ?").execute(arguments: [id])
    }

    func forgetLoginFailures(before moment: Date) throws {
        try statement("DELETE FROM login_failures WHERE at_ms < ?").execute(arguments: [Self.milliseconds(moment)])
    }

    func forgetLoginFailures(login: String, address: String) throws {
        try statement("DELETE FROM login_failures WHERE login = ? AND address = ?").execute(arguments: [login, address])
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    private static func milliseconds(_ interval: TimeInterval) -> Int64 { Int64((interval * 1000).rounded()) }
    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000) }
}
