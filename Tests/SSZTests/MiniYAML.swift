/// A tiny YAML reader for the ssz_generic `value.yaml` / `meta.yaml` files: scalars, quoted
/// strings, block and flow sequences, block and flow mappings. Nothing more.
indirect enum YAML: Equatable {
    case scalar(String)
    case sequence([YAML])
    case mapping([(String, YAML)])

    static func == (lhs: YAML, rhs: YAML) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): a == b
        case (.sequence(let a), .sequence(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    struct Invalid: Error { let reason: String }

    subscript(key: String) -> YAML? {
        guard case .mapping(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    static func parse(_ text: String) throws -> YAML {
        var lines: [(indent: Int, text: String)] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            if pending.isEmpty {
                if trimmed.isEmpty || trimmed == "..." || trimmed == "---" || trimmed.hasPrefix("#") { continue }
                pending = line
            } else {
                pending += " " + trimmed
            }
            if depth(pending) == 0 {
                let indent = pending.prefix { $0 == " " }.count
                lines.append((indent, String(pending.dropFirst(indent)).trimmingTrailingSpaces()))
                pending = ""
            }
        }
        guard pending.isEmpty else { throw Invalid(reason: "unbalanced flow collection") }
        guard let first = lines.first else { throw Invalid(reason: "empty document") }
        var parser = BlockParser(lines: lines)
        if !first.text.hasPrefix("- ") && first.text != "-" && keyAndRest(first.text) == nil {
            return try FlowParser.parse(first.text)
        }
        return try parser.block(indent: first.indent)
    }

    static func depth(_ text: String) -> Int {
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            }
        }
        return depth
    }

    /// `key: rest` (rest possibly empty) for a mapping line, or nil for anything else.
    static func keyAndRest(_ text: String) -> (String, String)? {
        guard let first = text.first, !"'\"[{".contains(first) else { return nil }
        if text.hasSuffix(":") { return (String(text.dropLast()), "") }
        guard let range = text.range(of: ": ") else { return nil }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    struct BlockParser {
        var lines: [(indent: Int, text: String)]
        var index = 0

        mutating func block(indent: Int) throws -> YAML {
            guard index < lines.count else { throw Invalid(reason: "unexpected end") }
            let text = lines[index].text
            if text.hasPrefix("- ") || text == "-" { return try sequence(indent: indent) }
            return try mapping(indent: indent)
        }

        mutating func sequence(indent: Int) throws -> YAML {
            var items: [YAML] = []
            while index < lines.count, lines[index].indent == indent,
                  lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
                let rest = String(lines[index].text.dropFirst(2))
                if YAML.keyAndRest(rest) != nil {
                    lines[index] = (indent + 2, rest)
                    items.append(try mapping(indent: indent + 2))
                } else {
                    index += 1
                    items.append(try FlowParser.parse(rest))
                }
            }
            return .sequence(items)
        }

        mutating func mapping(indent: Int) throws -> YAML {
            var pairs: [(String, YAML)] = []
            while index < lines.count, lines[index].indent == indent {
                guard let (key, rest) = YAML.keyAndRest(lines[index].text) else { break }
                index += 1
                if !rest.isEmpty {
                    pairs.append((key, try FlowParser.parse(rest)))
                } else {
                    guard index < lines.count else { throw Invalid(reason: "missing value for \(key)") }
                    let next = lines[index]
                    guard next.indent > indent || (next.indent == indent && next.text.hasPrefix("-")) else {
                        throw Invalid(reason: "missing value for \(key)")
                    }
                    pairs.append((key, try block(indent: next.indent)))
                }
            }
            return .mapping(pairs)
        }
    }

    struct FlowParser {
        let characters: [Character]
        var position = 0

        static func parse(_ text: String) throws -> YAML {
            var parser = FlowParser(characters: Array(text))
            let value = try parser.value()
            parser.skipSpaces()
            guard parser.position == parser.characters.count else { throw Invalid(reason: "trailing text in \(text)") }
            return value
        }

        mutating func skipSpaces() {
            while position < characters.count, characters[position] == " " { position += 1 }
        }

        mutating func value() throws -> YAML {
            skipSpaces()
            guard position < characters.count else { throw Invalid(reason: "missing value") }
            switch characters[position] {
            case "[":
                position += 1
                var items: [YAML] = []
                skipSpaces()
                if position < characters.count, characters[position] == "]" { position += 1; return .sequence([]) }
                while true {
                    items.append(try value())
                    skipSpaces()
                    guard position < characters.count else { throw Invalid(reason: "unterminated sequence") }
                    let c = characters[position]
                    position += 1
                    if c == "]" { return .sequence(items) }
                    guard c == "," else { throw Invalid(reason: "expected ,") }
                }
            case "{":
                position += 1
                var pairs: [(String, YAML)] = []
                skipSpaces()
                if position < characters.count, characters[position] == "}" { position += 1; return .mapping([]) }
                while true {
                    skipSpaces()
                    var key = ""
                    while position < characters.count, characters[position] != ":" { key.append(characters[position]); position += 1 }
                    guard position < characters.count else { throw Invalid(reason: "unterminated mapping") }
                    position += 1
                    pairs.append((key.trimmingTrailingSpaces(), try value()))
                    skipSpaces()
                    guard position < characters.count else { throw Invalid(reason: "unterminated mapping") }
                    let c = characters[position]
                    position += 1
                    if c == "}" { return .mapping(pairs) }
                    guard c == "," else { throw Invalid(reason: "expected ,") }
                }
            case "'", "\"":
                let quote = characters[position]
                position += 1
                var text = ""
                while position < characters.count, characters[position] != quote { text.append(characters[position]); position += 1 }
                guard position < characters.count else { throw Invalid(reason: "unterminated string") }
                position += 1
                return .scalar(text)
            default:
                var text = ""
                while position < characters.count, !",]}".contains(characters[position]) { text.append(characters[position]); position += 1 }
                return .scalar(text.trimmingTrailingSpaces())
            }
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
