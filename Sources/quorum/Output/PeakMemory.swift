import Foundation

/// The process's peak resident memory, from getrusage.
enum PeakMemory {
    static var residentBytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024  // Linux reports kilobytes
    }
}
