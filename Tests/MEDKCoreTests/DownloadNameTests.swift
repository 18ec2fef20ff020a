import Foundation
import MEDKCore
import Testing

@Suite("Download names in the page's words")
struct DownloadNameTests {
    @Test("parts are joined by dashes, characters file systems refuse become spaces, a long title is cut")
    func names() {
        #expect(DownloadName.make(["Сроки", "C2026", "Забайкальский край", nil], ext: "xlsx") == "Сроки — C2026 — Забайкальский край.xlsx")
        #expect(DownloadName.make(["История", "Отчёт: «итоги» 1/2 (№7)"], ext: "xlsx") == "История — Отчёт «итоги» 1 2 (№7).xlsx")
        #expect(DownloadName.make(["Документы", "  \n "], ext: "csv") == "Документы.csv")
        #expect(DownloadName.make([], ext: "csv") == "МЭДК.csv")
        let long = DownloadName.stem(["История", String(repeating: "очень длинное название ", count: 20)])
        #expect(long.count == 121 && long.hasSuffix("…"))
        #expect(DownloadName.stem(["Итоги..."]) == "Итоги", "Windows refuses a name ending in a dot")
    }
}
