import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Headless Chromium for tests that check a page the way a browser shows it.
///
/// `HeadlessChromium()` is nil when no `chromium` or `chromium-browser` is on PATH, so a test can
/// `throw XCTSkip` instead of failing on a machine without a browser. Every run gets its own profile folder and
/// its own process group; both are killed and removed when the run ends or times out, so no browser process
/// outlives the call.
public struct HeadlessChromium: Sendable {
    /// The browser binary found on PATH.
    public let executable: String
    /// Seconds one run may take before the whole process group is killed.
    public let timeout: Double

    /// The browser on PATH, or nil when there is none.
    public init?(timeout: Double = 60, path: String? = ProcessInfo.processInfo.environment["PATH"]) {
        guard let found = Self.locate(path: path) else { return nil }
        executable = found
        self.timeout = timeout
    }

    /// The first `chromium` or `chromium-browser` in the folders of `path`.
    public static func locate(path: String?) -> String? {
        let folders = (path ?? "").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where !folder.isEmpty {
                let candidate = (folder as NSString).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// The DOM of `page` after its scripts ran for `budget` ms of virtual time, in a `width`×`height` window.
    public func dumpDOM(of page: URL, width: Int, height: Int = 900, budget: Int = 5000) throws -> String {
        let output = try run(
            ["--window-size=\(width),\(height)", "--virtual-time-budget=\(budget)", "--dump-dom"], page)
        return output
    }

    /// Writes a PNG of the first `width`×`height` pixels of `page`'s window to `png`.
    public func screenshot(of page: URL, width: Int, height: Int, to png: URL, budget: Int = 2000) throws {
        try? FileManager.default.removeItem(at: png)
        _ = try run(
            [
                "--window-size=\(width),\(height)", "--hide-scrollbars", "--virtual-time-budget=\(budget)",
                "--screenshot=\(png.path)"
            ], page)
        guard FileManager.default.fileExists(atPath: png.path) else {
            throw HeadlessChromiumError.noScreenshot(png.path)
        }
    }

    /// What `PageProbe.script` found in a page: its widths, its console errors and its unnamed graphics.
    public struct Findings: Codable, Equatable, Sendable {
        /// `window.innerWidth`.
        public var innerWidth: Int
        /// `document.documentElement.scrollWidth`; above `innerWidth` the page scrolls sideways.
        public var scrollWidth: Int
        /// Uncaught errors, rejected promises, failed resources and `console.error` calls, in order.
        public var consoleErrors: [String]
        /// `svg`, `img`, `canvas` and `role="img"` elements without an accessible name (outer HTML, cut short).
        public var unnamedGraphics: [String]
        /// How many graphics were checked, so that a test can tell "all named" from "none found".
        public var graphics: Int
    }

    /// Loads `html` with the probe injected in a frame `width` pixels wide, and returns what the probe found.
    ///
    /// The probe goes first in the page, so it sees errors from every later script, and writes its findings
    /// into a `<pre id="chromium-probe">` once the page has loaded; `--dump-dom` then reads them back.
    public func probe(html: String, width: Int, height: Int = 900, folder: URL) throws -> Findings {
        let page = folder.appendingPathComponent("probed-\(width).html")
        try Self.framed(Self.injectingProbe(into: html), width: width, height: height)
            .write(to: page, atomically: true, encoding: .utf8)
        let dom = try dumpDOM(of: page, width: max(width, Self.minimumWindowWidth), height: height)
        guard let start = dom.range(of: "<pre id=\"\(Self.probeID)\">"),
            let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { throw HeadlessChromiumError.noFindings(page.path) }
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{a0}").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Findings.self, from: Data(text.utf8))
    }

    /// Writes a PNG of `html` as a `width`×`height` viewport shows it to `png` (the page is saved beside it).
    public func screenshot(html: String, width: Int, height: Int, to png: URL) throws {
        let page = png.deletingPathExtension().appendingPathExtension("html")
        try Self.framed(html, width: width, height: height).write(to: page, atomically: true, encoding: .utf8)
        try screenshot(of: page, width: width, height: height, to: png)
    }

    /// Headless Chromium does not make a window narrower than this many pixels.
    public static let minimumWindowWidth = 500

    /// A page showing `html` in a `width`×`height` frame at its top left: the frame is the viewport under test,
    /// whatever width the browser window will take. `srcdoc` keeps the frame in the page's origin, so the probe
    /// inside can write into the outer document that `--dump-dom` prints.
    public static func framed(_ html: String, width: Int, height: Int) -> String {
        let source = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>frame</title>
            <style>html,body{margin:0;overflow:hidden}iframe{border:0;display:block}</style></head>
            <body><iframe title="page under test" style="width:\(width)px;height:\(height)px" srcdoc="\(source)">\
            </iframe></body></html>
            """
    }

    /// The id of the element the probe writes its JSON into.
    public static let probeID = "chromium-probe"

    /// `html` with the probe script placed before anything else it runs.
    public static func injectingProbe(into html: String) -> String {
        let tag = "<script>\(probeScript)</script>"
        if let head = html.range(of: "<head>", options: .caseInsensitive) {
            return html.replacingCharacters(in: head, with: "<head>" + tag)
        }
        return tag + html
    }

    /// Collects errors from the start and, after `load`, measures the page and names every graphic.
    static let probeScript = """
        (function () {
          var errors = [];
          var consoleError = console.error;
          console.error = function () {
            errors.push(Array.prototype.map.call(arguments, String).join(' '));
            return consoleError.apply(console, arguments);
          };
          window.addEventListener('error', function (e) {
            var t = e.target;
            errors.push(e.message || ('failed to load ' + (t && (t.src || t.href) || 'a resource')));
          }, true);
          window.addEventListener('unhandledrejection', function (e) { errors.push('rejected: ' + e.reason); });
          function nameOf(el) {
            var ids = el.getAttribute('aria-labelledby');
            if (ids) {
              var text = ids.split(/\\s+/).map(function (id) {
                var ref = document.getElementById(id); return ref ? ref.textContent : '';
              }).join(' ');
              if (text.trim()) return text;
            }
            if ((el.getAttribute('aria-label') || '').trim()) return el.getAttribute('aria-label');
            if (el.tagName.toLowerCase() === 'img') return el.getAttribute('alt') || '';
            var title = el.querySelector(':scope > title');
            return title ? title.textContent : '';
          }
          window.addEventListener('load', function () {
            setTimeout(function () {
              var graphics = Array.prototype.filter.call(
                document.querySelectorAll('svg, img, canvas, [role="img"]'),
                function (el) { return !el.closest('[aria-hidden="true"]') && !el.parentElement.closest('svg'); });
              var unnamed = graphics.filter(function (el) { return !nameOf(el).trim(); })
                .map(function (el) { return el.outerHTML.slice(0, 120); });
              var pre = document.createElement('pre');
              pre.id = '\(probeID)';
              pre.textContent = JSON.stringify({
                innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
                consoleErrors: errors, unnamedGraphics: unnamed, graphics: graphics.length
              });
              (window.frameElement ? window.parent.document : document).body.appendChild(pre);
            }, 0);
          });
        })();
        """

    /// Runs the browser on `page` with `flags` and returns its standard output.
    private func run(_ flags: [String], _ page: URL) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("chromium-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("profile").path
        let arguments =
            [
                executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-dev-shm-usage", "--disable-extensions",
                "--user-data-dir=\(profile)"
            ] + flags + [page.absoluteString]
        let out = folder.appendingPathComponent("stdout").path
        let err = folder.appendingPathComponent("stderr").path
        let pid = try Self.spawn(arguments, stdout: out, stderr: err)
        let status = Self.wait(pid, timeout: timeout)
        // Renderer and zygote processes may linger after the browser exits: end the group, then anything
        // still holding this run's profile folder.
        kill(-pid, SIGKILL)
        Self.killProcesses(mentioning: profile)
        let stderrText = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        guard let status else { throw HeadlessChromiumError.timedOut(seconds: timeout, page: page.path) }
        guard status == 0 else {
            throw HeadlessChromiumError.failed(status: status, page: page.path, stderr: String(stderrText.suffix(2000)))
        }
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    /// Starts `arguments` in a new process group with its output in two files, and returns its pid.
    private static func spawn(_ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard code == 0 else { throw HeadlessChromiumError.spawn(arguments[0], errno: code) }
        return pid
    }

    /// The exit status of `pid`, or nil after killing its group when it ran past `timeout` seconds.
    private static func wait(_ pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if done < 0 && errno != EINTR { return -1 }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return nil
            }
            usleep(20_000)
        }
    }

    /// Kills every process whose command line contains `marker` (this run's own profile folder).
    private static func killProcesses(mentioning marker: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for entry in entries {
            guard let pid = pid_t(entry),
                let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: raw, as: UTF8.self).contains(marker)
            else { continue }
            kill(pid, SIGKILL)
        }
    }
}

/// Why a headless browser run gave no result.
public enum HeadlessChromiumError: Error, CustomStringConvertible {
    case spawn(String, errno: Int32)
    case timedOut(seconds: Double, page: String)
    case failed(status: Int32, page: String, stderr: String)
    case noScreenshot(String)
    case noFindings(String)

    public var description: String {
        switch self {
        case .spawn(let path, let code): return "cannot start \(path): \(String(cString: strerror(code)))"
        case .timedOut(let seconds, let page): return "chromium did not finish \(page) within \(seconds) s; killed"
        case .failed(let status, let page, let stderr):
            return "chromium exited with status \(status) on \(page):\n\(stderr)"
        case .noScreenshot(let path): return "chromium wrote no screenshot at \(path)"
        case .noFindings(let page): return "the probe wrote no findings into \(page)'s DOM (did the page load?)"
        }
    }
}
