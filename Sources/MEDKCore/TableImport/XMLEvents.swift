import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a reader of one XML part is told as the part streams past: elements by their local names
/// (writers choose their own prefixes, «x:row» or «row»), and text. A reader keeps only what it
/// needs, so its memory is bounded by what it keeps, not by the part's size.
protocol XMLEventHandler: AnyObject {
    func start(_ name: Substring, _ attributes: XMLAttributes) throws(MEDKError)
    func end(_ name: Substring) throws(MEDKError)
    func text(_ text: String) throws(MEDKError)
}

extension XMLEventHandler {
    func end(_ name: Substring) throws(MEDKError) {}
    func text(_ text: String) throws(MEDKError) {}
}

/// An element's attributes, looked up by local name («r:id» as «id», «w:val» as «val»).
struct XMLAttributes {
    let all: [String: String]

    subscript(_ local: String) -> String? {
        if let value = all[local] { return value }
        for (key, value) in all where XMLEvents.localName(key) == local { return value }
        return nil
    }
}

/// The text a whole file's readers keep (shared strings, cell texts), counted against one budget:
/// what a table may hold in memory, whatever its XML says.
final class KeptText {
    let limit: Int
    private(set) var bytes = 0

    init(limit: Int) { self.limit = limit }

    /// Counts `text`, and what keeping any string costs beyond its bytes (so that a million empty
    /// strings are not free).
    func keep(_ text: String) throws(MEDKError) {
        bytes += text.utf8.count + 16
        guard bytes <= limit else {
            throw MEDKError.rejected("import_text_too_large", """
                В файле больше \(limit >> 20) МБ текста в таблицах: это не дорожная карта. Оставьте в файле только её таблицу.
                """)
        }
    }
}

/// Foundation's streaming `XMLParser` (libxml2's push parser, fed from a file in chunks) driving an
/// `XMLEventHandler`, with the elements counted against a budget: the first refusal — the
/// handler's or the budget's — stops the parse and is what the reader throws.
final class XMLEvents: NSObject, XMLParserDelegate {
    private let handler: any XMLEventHandler
    private let maximumElements: Int
    private let part: String
    private var elements = 0
    private var failure: MEDKError?
    private var broken = false

    private init(handler: any XMLEventHandler, maximumElements: Int, part: String) {
        self.handler = handler
        self.maximumElements = maximumElements
        self.part = part
    }

    /// Parses the XML in `file` (already screened by `XMLPartScreen`) into `handler`.
    static func parse(_ file: URL, part: String, into handler: any XMLEventHandler, limits: TableImportLimits,
                      format: TableFileFormat) throws(MEDKError) {
        guard let stream = InputStream(url: file) else { throw OOXMLPackage.broken(format) }
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        let events = XMLEvents(handler: handler, maximumElements: limits.maximumXMLElements, part: part)
        parser.delegate = events
        let finished = parser.parse()
        if let failure = events.failure { throw failure }
        guard finished, !events.broken else { throw OOXMLPackage.broken(format) }
    }

    static func localName(_ name: String) -> Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? Substring(name)
    }

    private func stop(_ parser: XMLParser, _ error: MEDKError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard failure == nil else { return }
        elements += 1
        guard elements <= maximumElements else {
            return stop(parser, MEDKError.rejected("xml_too_many_elements", "В части «\(part)» больше \(maximumElements) элементов."))
        }
        do { try handler.start(Self.localName(elementName), XMLAttributes(all: attributes)) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil else { return }
        do { try handler.end(Self.localName(elementName)) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        do { try handler.text(string) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil else { return }
        do { try handler.text(String(decoding: CDATABlock, as: UTF8.self)) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        broken = true
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        broken = true
        parser.abortParsing()
    }

    // A DTD never gets here (the screen refuses it); should one, the part is refused all the same.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        stop(parser, XMLPartScreen.dtdRefused(part))
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        stop(parser, XMLPartScreen.dtdRefused(part))
    }

    /// An entity the part never declared (`&nbsp;`): the part is broken.
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        broken = true
        parser.abortParsing()
        return nil
    }
}
