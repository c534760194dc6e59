import ConformanceSupport
import Testing
@testable import LibP2PCore
@testable import Multiformats

/// Runs the Gherkin scenarios of `identify/multiaddr.feature`.
@Suite struct MultiaddrFeatureTests {
    struct Scenario {
        var name = ""
        var given = ""
        var packed: String?
        var packedSize: Int?
        var string: String?
        var stringSize: Int?
        var rows: [[String: String]] = []
    }

    static func parse(_ text: String) -> [Scenario] {
        var scenarios = [Scenario]()
        var header: [String]?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            func after(_ prefix: String) -> String? {
                line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : nil
            }
            func size(_ prefix: String) -> Int? {
                after(prefix).flatMap { Int($0.replacingOccurrences(of: " bytes", with: "")) }
            }
            if let name = after("Scenario:") {
                scenarios.append(Scenario(name: name))
                header = nil
            } else if scenarios.isEmpty {
                continue
            } else if let value = after("Given the multiaddr") {
                scenarios[scenarios.count - 1].given = value
            } else if let value = after("Then the packed form is") ?? after("And the packed form is") {
                scenarios[scenarios.count - 1].packed = value
            } else if let value = size("Then the packed size is") ?? size("And the packed size is") {
                scenarios[scenarios.count - 1].packedSize = value
            } else if let value = after("Then the string form is") ?? after("And the string form is") {
                scenarios[scenarios.count - 1].string = value
            } else if let value = size("Then the string size is") ?? size("And the string size is") {
                scenarios[scenarios.count - 1].stringSize = value
            } else if line.hasPrefix("|") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                if let keys = header {
                    scenarios[scenarios.count - 1].rows.append(Dictionary(uniqueKeysWithValues: zip(keys, cells)))
                } else {
                    header = cells
                }
            }
        }
        return scenarios
    }

    @Test(.enabled(if: ConformanceVectors.shouldRun("identify")))
    func featureScenarios() throws {
        try VectorFiles.requireFile("identify", "multiaddr.feature")
        let text = try VectorFiles.text("identify", "multiaddr.feature")
        let scenarios = Self.parse(text)
        #expect(scenarios.count > 0)
        var checked = 0
        var skipped = [String]()
        for scenario in scenarios {
            let address: Multiaddr
            do {
                if scenario.given.hasPrefix("0x") {
                    address = try Multiaddr(bytes: try #require(Hex.decode(scenario.given)))
                } else {
                    address = try Multiaddr(scenario.given)
                }
            } catch MultiaddrError.unknownProtocolName(let name) {
                skipped.append("\(scenario.name) (\(name))")
                continue
            } catch MultiaddrError.unknownProtocolCode(let code) {
                skipped.append("\(scenario.name) (code \(code))")
                continue
            }
            if let packed = scenario.packed { #expect(address.bytes == Hex.decode(packed), "\(scenario.name)") }
            if let size = scenario.packedSize { #expect(address.bytes.count == size) }
            if let string = scenario.string { #expect(address.description == string, "\(scenario.name)") }
            if let size = scenario.stringSize { #expect(address.description.utf8.count == size) }
            // Both forms agree whichever was given.
            #expect(try Multiaddr(address.description) == address)
            #expect(try Multiaddr(bytes: address.bytes) == address)

            // Component tables: each column is compared when the scenario has it.
            let components = address.components
            #expect(components.count == scenario.rows.count || scenario.rows.isEmpty, "\(scenario.name) component count")
            for (component, row) in zip(components, scenario.rows) {
                let checks: [(String, (String) -> Bool)] = [
                    ("string", { component.description == $0 }),
                    ("stringSize", { component.description.utf8.count == Int($0) }),
                    ("packed", { component.bytes == Hex.decode($0) }),
                    ("packedSize", { component.bytes.count == Int($0) }),
                    ("value", { component.valueString == $0 }),
                    ("valueSize", { component.rawValue.count == Int($0) }),
                    ("protocol", { component.protocol.name == $0 }),
                    ("codec", { component.protocol.code == UInt64($0) }),
                    ("uvarint", { UVarint.encode(component.protocol.code) == Hex.decode($0) }),
                    ("lengthPrefix", {
                        $0.isEmpty
                            ? component.protocol.valueSize != .variable
                            : UVarint.encode(UInt64(component.rawValue.count)) == Hex.decode($0)
                    }),
                    ("rawValue", { component.rawValue == Hex.decode($0) }),
                ]
                for (column, matches) in checks {
                    guard let cell = row[column] else { continue }
                    #expect(matches(cell), "\(scenario.name) \(column) \(cell)")
                }
            }
            checked += 1
        }
        ConformanceVectors.report("identify/multiaddr", checked: checked,
                                  detail: "\(skipped.count) skipped for unsupported protocols\(skipped.isEmpty ? "" : ": " + skipped.joined(separator: ", "))")
    }
}
