import MEDKCore
import Testing

@Suite("File sizes as people read them")
struct ByteSizeTests {
    static let examples: [(bytes: Int64, text: String)] = [
        (0, "0 Б"), (700, "700 Б"), (1023, "1023 Б"), (1024, "1 КБ"), (1535, "1 КБ"), (1536, "2 КБ"),
        ((1 << 20) - 513, "1023 КБ"), ((1 << 20) - 512, "1,0 МБ"), (1_258_291, "1,2 МБ"), (25 << 20, "25,0 МБ"),
    ]

    @Test("a size is written the same way everywhere, rounded to what its unit shows", arguments: examples)
    func russian(_ example: (bytes: Int64, text: String)) {
        #expect(ByteSize.russian(example.bytes) == example.text)
    }
}
