/// A oneDNN call that failed: which call, on what, and the status oneDNN returned.
public enum DNNLError: Error, CustomStringConvertible {
    /// `call` returned the non-success `status` (oneDNN's name for it, e.g. `unimplemented`) while
    /// working on `subject` (e.g. `convolution 14x14x32->64 k3 s1 p1, batch 64`).
    case callFailed(call: String, status: String, subject: String)

    /// A readable message naming the call, the status and the object it worked on.
    public var description: String {
        switch self {
        case let .callFailed(call, status, subject):
            return "oneDNN: \(call) failed with status '\(status)' for \(subject)"
        }
    }
}
