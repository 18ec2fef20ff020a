import Synchronization

/// Launches of child processes, one at a time across all test suites: Foundation's `Process.run()`
/// on Linux crashed in its own memcpy (SIGSEGV, 7 December 2026) when suites started processes from
/// several threads at once (`medk`, the SMTP sink, openssl; again on the same day while the Excel
/// checks launched LibreOffice and python3 outside this lock); waiting for them stays concurrent.
public let processLaunch = Mutex<Void>(())
