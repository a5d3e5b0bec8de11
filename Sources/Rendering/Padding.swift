// Padding text to a column width, for the aligned columns of summary lines and tables.

public enum Padding {
    /// `text` with spaces before it up to `width` characters (unchanged when already as wide).
    public static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` with spaces after it up to `width` characters.
    public static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
