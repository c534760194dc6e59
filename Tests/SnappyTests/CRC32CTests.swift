import Testing
@testable import Snappy
import TestSupport

@Suite struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// RFC 3720 appendix B.4.
    @Test func rfc3720Examples() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xff, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        let readCommandPDU: [UInt8] = [
            0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
            0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]
        #expect(CRC32C.checksum(readCommandPDU) == 0xD996_3A56)
    }

    @Test func emptyInput() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// The slice-by-8 loop must agree with a bit-at-a-time CRC for every length and alignment.
    @Test func sliceBy8MatchesBitwise() {
        var random = SeededRandom(seed: 7)
        let data = random.bytes(300)
        for start in 0..<9 {
            for end in stride(from: start, through: data.count, by: 7) {
                let slice = Array(data[start..<end])
                #expect(CRC32C.checksum(slice) == bitwise(slice))
            }
        }
    }

    @Test func updateContinues() {
        var random = SeededRandom(seed: 8)
        let data = random.bytes(1000)
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = Array(data[..<split]).withUnsafeBytes { CRC32C.checksum($0) }
            let both = Array(data[split...]).withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(both == whole)
        }
    }

    @Test func maskRoundTripsAndMatchesSpec() {
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF, 0x8000_0000] {
            let expected = ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
            #expect(CRC32C.mask(crc) == expected)
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
        }
        // A zero CRC masks to the constant alone.
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
    }

    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
