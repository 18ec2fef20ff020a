/// File sizes as people read them, written one way on every page and in every command: «700 Б»,
/// «12 КБ», «1,2 МБ» (a 700-byte file is not «0 КБ» in one place and «1 КБ» in another).
public enum ByteSize {
    public static func russian(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(max(bytes, 0)) Б" }
        if bytes < (1 << 20) - 512 { return "\((bytes + 512) / 1024) КБ" }
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10),\(tenths % 10) МБ"
    }
}
