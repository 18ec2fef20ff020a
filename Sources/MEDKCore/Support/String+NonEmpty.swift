extension String {
    /// Nil for the empty string: an optional field a person left blank.
    var nonEmpty: String? { isEmpty ? nil : self }
}
