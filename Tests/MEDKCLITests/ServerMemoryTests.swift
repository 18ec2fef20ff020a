import CMallocTuning
import Testing

@Suite("The server's memory settings")
struct ServerMemoryTests {
    /// The limit once compiled to nothing (the C shim tested for glibc before including any glibc
    /// header) and the server ran with sixteen arenas; glibc answers 1 when it takes the setting.
    @Test("on glibc the limit on malloc arenas that `medk serve` sets is taken")
    func arenaLimitIsApplied() {
        #if os(Linux)
        #expect(medk_limit_malloc_arenas(2) == 1)
        #endif
    }
}
