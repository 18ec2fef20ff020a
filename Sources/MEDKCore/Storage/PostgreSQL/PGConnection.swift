import CLibPQ
import Foundation

/// One connection to PostgreSQL through libpq, synchronous like the store's transactions: a
/// transaction runs on one thread from start to commit, statement after statement, as it does on
/// SQLite. Statements are prepared once per connection and executed by name afterwards, so a hot
/// path pays parsing and planning once, not on every call.
///
/// Not thread-safe: a connection belongs to one transaction at a time (`PGConnectionPool` hands it
/// out and takes it back).
final class PGConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// SQL text → name of its prepared statement on this connection.
    private var prepared: [String: String] = [:]
    /// The transaction's BEGIN, not sent yet: it goes with the first statement (`begin`).
    private var deferredBegin: String?
    /// The statement that goes with COMMIT (`sendWithCommit`).
    private var beforeCommit: (sql: String, parameters: [PGValue])?
    /// A read-only transaction's COMMIT sent and its answer not read yet (`commitReadOnly`).
    private var commitInFlight = false

    /// Opens a connection from a `postgres://` URL or a libpq connection string. The session speaks
    /// UTF-8 and UTC whatever the server's defaults, so texts and times read the same everywhere.
    init(url: String) throws {
        guard let handle = PQconnectdb(url) else { throw PGError.connection("libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw PGError.connection(message)
        }
        self.handle = handle
        try execute("SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_min_messages = 'warning'")
    }

    deinit { PQfinish(handle) }

    /// False once the server went away or the connection broke: the pool drops it.
    var isUsable: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Starts a transaction with the next statement: `begin` (BEGIN …) is sent in the same trip
    /// as it (libpq's pipeline mode) rather than on a round trip of its own. A transaction that
    /// sends nothing never begins.
    func begin(_ begin: String) {
        precondition(deferredBegin == nil && beforeCommit == nil, "a transaction is already open on this connection")
        deferredBegin = begin
    }

    /// Ends the transaction with COMMIT, the statement left for it (`sendWithCommit`) in the same
    /// trip; nothing to do when no statement ran.
    func commit() throws {
        if let last = beforeCommit {
            beforeCommit = nil
            let name = try statementName(last.sql, parameterCount: last.parameters.count)
            try send(Outgoing(sql: last.sql, name: name, parameters: last.parameters), then: "COMMIT") { _ in }
        } else if deferredBegin != nil {
            deferredBegin = nil
        } else {
            try execute("COMMIT")
        }
    }

    /// Ends a read-only transaction without waiting for the answer: there is nothing to keep, and
    /// nothing to fail but the connection itself (which the next statement finds). The answer is
    /// read before the connection's next statement, long arrived by then.
    func commitReadOnly() throws {
        precondition(beforeCommit == nil, "a read-only transaction writes nothing")
        if deferredBegin != nil {
            deferredBegin = nil
            return
        }
        guard PQsendQuery(handle, "COMMIT") == 1 else { throw connectionFailure() }
        commitInFlight = true
    }

    /// Reads the answer of a COMMIT sent without waiting, so that the connection is idle again.
    private func settle() {
        guard commitInFlight else { return }
        commitInFlight = false
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    /// Ends the transaction keeping nothing, the statement left for COMMIT included.
    func rollback() throws {
        beforeCommit = nil
        if deferredBegin != nil {
            deferredBegin = nil
        } else {
            try execute("ROLLBACK")
        }
    }

    /// Drops what waits for the transaction's start or end (a broken connection, about to be dropped).
    func forgetTransaction() {
        deferredBegin = nil
        beforeCommit = nil
    }

    /// Leaves a statement to be sent with COMMIT in one trip: the transaction's last, whose result
    /// nobody reads (the audit record written just before the commit — one round trip fewer
    /// while other writers wait for the chain). Its failure is the commit's.
    func sendWithCommit(_ sql: String, _ parameters: [PGValue]) {
        precondition(beforeCommit == nil, "one statement goes with COMMIT")
        beforeCommit = (sql, parameters)
    }

    /// Runs statements without parameters and results (transaction control, settings, DDL); several
    /// may be separated by semicolons.
    func execute(_ sql: String) throws {
        settle()
        let text = deferredBegin.map { "\($0); \(sql)" } ?? sql
        deferredBegin = nil
        let result = PQexec(handle, text)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with `$1 …` parameters and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [PGValue] = []) throws -> [PGRow] {
        try run(sql, parameters, Self.rows)
    }

    /// Runs `first` (its result unread: a lock) and then the statement, in one trip; the statement
    /// runs once `first` has, with a snapshot of its own (READ COMMITTED), so it sees what
    /// committed while `first` waited.
    func query(after first: (sql: String, parameters: [PGValue]), _ sql: String, _ parameters: [PGValue] = []) throws -> [PGRow] {
        let before = Outgoing(sql: first.sql, name: try statementName(first.sql, parameterCount: first.parameters.count),
                              parameters: first.parameters)
        let name = try statementName(sql, parameterCount: parameters.count)
        var rows: [PGRow] = []
        try send(Outgoing(sql: sql, name: name, parameters: parameters), after: [before]) { result in rows = Self.rows(result) }
        return rows
    }

    /// Runs one statement and returns how many rows it changed (from its command tag).
    func update(_ sql: String, _ parameters: [PGValue] = []) throws -> Int {
        try run(sql, parameters) { result in Int(String(cString: PQcmdTuples(result))) ?? 0 }
    }

    /// Runs one statement and returns its first column of its first row as bytes, in binary (a
    /// file's chunk: no hex text twice its size to decode).
    func binaryValue(_ sql: String, _ parameters: [PGValue] = []) throws -> [UInt8]? {
        try run(sql, parameters, binary: true) { result in
            guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0 else { return nil }
            let length = Int(PQgetlength(result, 0, 0))
            return [UInt8](UnsafeRawBufferPointer(start: PQgetvalue(result, 0, 0), count: length))
        }
    }

    private func run<T>(_ sql: String, _ parameters: [PGValue], binary: Bool = false, _ read: (OpaquePointer) -> T) throws -> T {
        let name = try statementName(sql, parameterCount: parameters.count)
        var value: T?
        try send(Outgoing(sql: sql, name: name, parameters: parameters, binary: binary)) { result in
            if value == nil { value = read(result) }
        }
        guard let value else { throw PGError.connection("no result for: \(sql.prefix(200))") }
        return value
    }

    /// Runs one statement and hands its rows to `body` one at a time as they arrive (libpq's
    /// single-row mode), so that a scan of millions of rows holds one at a time. When `body`
    /// returns false the rest of the rows are read and dropped: the connection must be idle again
    /// before its next statement.
    func stream(_ sql: String, _ parameters: [PGValue], _ body: (PGRow) throws -> Bool) throws {
        let name = try statementName(sql, parameterCount: parameters.count)
        var wanted = true
        try send(Outgoing(sql: sql, name: name, parameters: parameters, singleRow: true)) { result in
            guard wanted, PQresultStatus(result) == PGRES_SINGLE_TUPLE, let row = Self.rows(result).first else { return }
            wanted = try body(row)
        }
    }

    /// A prepared statement to send.
    private struct Outgoing {
        var sql: String
        var name: String
        var parameters: [PGValue]
        var binary = false
        /// Rows handed over one at a time as they arrive.
        var singleRow = false
    }

    /// Sends `statement` — after the deferred BEGIN and `earlier` statements, and before `trailer`
    /// (COMMIT), all in one trip (pipeline mode) when there are such — and hands each of its
    /// results to `receive`; the others' results are checked and dropped. Every result is read
    /// whatever fails, so that the connection is idle afterwards; the first failure is thrown (in a
    /// pipeline the statements after a failed one do not run).
    private func send(_ statement: Outgoing, after earlier: [Outgoing] = [], then trailer: String? = nil,
                      _ receive: (OpaquePointer) throws -> Void) throws {
        settle()
        let leading = deferredBegin
        deferredBegin = nil
        let pipelined = leading != nil || !earlier.isEmpty || trailer != nil
        if pipelined && PQenterPipelineMode(handle) != 1 { throw connectionFailure() }
        var failure: (any Error)?
        func sent(_ status: Int32) { if status != 1 && failure == nil { failure = connectionFailure() } }
        func sendPrepared(_ outgoing: Outgoing) {
            let parameters = outgoing.parameters
            sent(withParameters(parameters) { values, lengths, formats in
                PQsendQueryPrepared(handle, outgoing.name, Int32(parameters.count), values, lengths, formats, outgoing.binary ? 1 : 0)
            })
        }
        if let leading { sent(PQsendQueryParams(handle, leading, 0, nil, nil, nil, nil, 0)) }
        earlier.forEach(sendPrepared)
        sendPrepared(statement)
        if statement.singleRow && !pipelined { PQsetSingleRowMode(handle) }
        if let trailer { sent(PQsendQueryParams(handle, trailer, 0, nil, nil, nil, nil, 0)) }
        if pipelined { sent(PQpipelineSync(handle)) }
        if let failure {
            // Nothing sensible can be read from a connection that failed to send: it is dropped.
            if pipelined { PQexitPipelineMode(handle) }
            throw failure
        }
        /// Reads one statement's results up to the NULL that ends them.
        func drain(_ sql: String, _ receive: (OpaquePointer) throws -> Void) {
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                guard failure == nil else { continue }
                switch PQresultStatus(result) {
                case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                    do { try receive(result) } catch { failure = error }
                case PGRES_PIPELINE_ABORTED:
                    continue
                default:
                    do { try check(result, sql: sql) } catch { failure = error }
                }
            }
        }
        if let leading { drain(leading) { _ in } }
        for outgoing in earlier { drain(outgoing.sql) { _ in } }
        if statement.singleRow && pipelined { PQsetSingleRowMode(handle) }
        drain(statement.sql, receive)
        if let trailer { drain(trailer) { _ in } }
        if pipelined {
            // The sync's own result, then back to ordinary mode (which needs the connection idle).
            var exited = false
            for _ in 0..<3 {
                if let result = PQgetResult(handle) { PQclear(result) }
                if PQexitPipelineMode(handle) == 1 {
                    exited = true
                    break
                }
            }
            if !exited && failure == nil { failure = connectionFailure() }
        }
        if let failure { throw failure }
    }

    private func connectionFailure() -> PGError {
        PGError.connection(String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `COPY … FROM STDIN` (text format) and hands `body` a function that sends rows to it;
    /// the server checks them as it receives them, and the copy fails whole if `body` throws.
    func copyIn(_ sql: String, _ body: (_ send: ([UInt8]) throws -> Void) throws -> Void) throws {
        settle()
        if let begin = deferredBegin {
            deferredBegin = nil
            try execute(begin)
        }
        let started = PQexec(handle, sql)
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            defer { PQclear(started) }
            try check(started, sql: sql)
            throw PGError.connection("COPY did not start")
        }
        PQclear(started)
        var failure: (any Error)?
        do {
            try body { bytes in
                let sent = bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32(buffer.count)) }
                }
                guard sent == 1 else { throw PGError.connection(String(cString: PQerrorMessage(handle))) }
            }
        } catch {
            failure = error
        }
        PQputCopyEnd(handle, failure == nil ? nil : "the copy's source failed")
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if failure == nil { do { try check(result, sql: sql) } catch { failure = error } }
        }
        if let failure { throw failure }
    }

    private func statementName(_ sql: String, parameterCount: Int) throws -> String {
        settle()
        if let name = prepared[sql] { return name }
        let name = "medk_\(prepared.count + 1)"
        let result = PQprepare(handle, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        prepared[sql] = name
        return name
    }

    /// Parameters go as text, except bytes, which go as binary (no escaping of large values). Each
    /// value is copied once into memory of its own for the duration of the call (IN lists run to
    /// hundreds of values: no recursion, no pinning per value).
    private func withParameters<T>(_ parameters: [PGValue],
                                   _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> T)
    rethrows -> T {
        var pointers: [UnsafePointer<CChar>?] = []
        var owned: [UnsafeMutableRawPointer] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        pointers.reserveCapacity(parameters.count)
        defer { owned.forEach { $0.deallocate() } }
        func copy(_ bytes: UnsafeRawBufferPointer, terminated: Bool) -> UnsafePointer<CChar> {
            let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + (terminated ? 1 : 0), alignment: 1)
            if let base = bytes.baseAddress { memory.copyMemory(from: base, byteCount: bytes.count) }
            if terminated { memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self) }
            owned.append(memory)
            return UnsafePointer(memory.assumingMemoryBound(to: CChar.self))
        }
        for parameter in parameters {
            switch parameter {
            case .null:
                pointers.append(nil); lengths.append(0); formats.append(0)
            case .bytes(let bytes):
                pointers.append(bytes.withUnsafeBytes { copy($0, terminated: false) }); lengths.append(Int32(bytes.count)); formats.append(1)
            default:
                var text = parameter.text!
                pointers.append(text.withUTF8 { copy(UnsafeRawBufferPointer($0), terminated: true) }); lengths.append(0); formats.append(0)
            }
        }
        return try pointers.withUnsafeBufferPointer { values in
            try lengths.withUnsafeBufferPointer { lengthPointer in
                try formats.withUnsafeBufferPointer { formatPointer in
                    try body(values.baseAddress, lengthPointer.baseAddress, formatPointer.baseAddress)
                }
            }
        }
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        guard let result else {
            throw PGError.connection(String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            func field(_ code: Int32) -> String? { PQresultErrorField(result, code).map { String(cString: $0) } }
            throw PGError.server(sqlState: field(Int32(UInt8(ascii: "C"))) ?? "",
                                 message: field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result)),
                                 detail: field(Int32(UInt8(ascii: "D"))), constraint: field(Int32(UInt8(ascii: "n"))), sql: sql)
        }
    }

    /// Text-format results, read by each column's type.
    private static func rows(_ result: OpaquePointer) -> [PGRow] {
        let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
        guard rowCount > 0 else { return [] }
        let types = (0..<columnCount).map { PQftype(result, Int32($0)) }
        var rows: [PGRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [PGValue] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(.null)
                    continue
                }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                let raw = UnsafeRawBufferPointer(start: PQgetvalue(result, Int32(row), Int32(column))!, count: length)
                if types[column] == PGValue.TypeID.bytea, let bytes = PGValue.hexBytes(raw) {
                    values.append(.bytes(bytes))
                    continue
                }
                values.append(PGValue(text: String(decoding: raw, as: UTF8.self), type: types[column]))
            }
            rows.append(PGRow(values: values))
        }
        return rows
    }
}

/// A failure PostgreSQL reported, with its SQLSTATE, or a connection that could not be made or broke.
enum PGError: Error, CustomStringConvertible {
    case connection(String)
    case server(sqlState: String, message: String, detail: String?, constraint: String?, sql: String)

    var sqlState: String? {
        if case .server(let state, _, _, _, _) = self { return state }
        return nil
    }

    /// Serialization failures and deadlocks: the transaction may simply run again.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    var description: String {
        switch self {
        case .connection(let message): "PostgreSQL connection: \(message)"
        case .server(let state, let message, let detail, _, let sql):
            "PostgreSQL \(state): \(message)" + (detail.map { " (\($0))" } ?? "") + " in: \(sql.prefix(200))"
        }
    }
}
