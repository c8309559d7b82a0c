import Foundation

/// Makes Ogg files (Opus) reproducible: libsndfile gives each Ogg stream a serial number from its own generator,
/// seeded from the clock (`psf_rand_int32`), so two encodes of the same audio differ in every page header. This
/// rewrites the serial number of every page to a fixed value and recomputes each page's CRC.
///
/// Page layout (RFC 3533): "OggS", version, header type, granule (8), serial (4, little-endian, offset 14),
/// sequence (4), CRC (4, offset 22), segment count (offset 26), segment table, body. The CRC is CRC-32 with
/// polynomial 0x04C11DB7, initial value 0, no reflection, computed over the page with the CRC field zeroed.
enum OggSerialNumber {
    static func rewrite(path: String, serial: UInt32) throws(AudioIOError) {
        guard var data = FileManager.default.contents(atPath: path) else {
            throw AudioIOError(path: path, "cannot read back the Ogg file to fix its serial number")
        }
        let failure: String? = data.withUnsafeMutableBytes { (bytes: UnsafeMutableRawBufferPointer) -> String? in
            var offset = 0
            while offset + 27 <= bytes.count {
                guard bytes[offset] == 0x4F, bytes[offset + 1] == 0x67, bytes[offset + 2] == 0x67,
                      bytes[offset + 3] == 0x53 else {
                    return "not an Ogg page at byte \(offset)"
                }
                let segments = Int(bytes[offset + 26])
                guard offset + 27 + segments <= bytes.count else { break }
                var body = 0
                for s in 0..<segments { body += Int(bytes[offset + 27 + s]) }
                let length = 27 + segments + body
                guard offset + length <= bytes.count else {
                    return "truncated Ogg page at byte \(offset)"
                }
                for k in 0..<4 {
                    bytes[offset + 14 + k] = UInt8(truncatingIfNeeded: serial >> (8 * UInt32(k)))
                    bytes[offset + 22 + k] = 0
                }
                var crc: UInt32 = 0
                for i in offset..<(offset + length) {
                    crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(bytes[i])) & 0xFF)]
                }
                for k in 0..<4 { bytes[offset + 22 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
                offset += length
            }
            return nil
        }
        if let failure { throw AudioIOError(path: path, failure) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw AudioIOError(path: path, "cannot rewrite the Ogg file")
        }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var r = UInt32(index) << 24
        for _ in 0..<8 { r = r & 0x8000_0000 != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1 }
        return r
    }
}
