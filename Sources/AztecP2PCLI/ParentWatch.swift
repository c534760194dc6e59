import Foundation

/// Ends this process when the process that started it is gone, if `AZTEC_P2P_EXIT_WITH_PARENT=1`:
/// test suites set it, so the nodes a crashed test run started do not live on. Checked by
/// polling the parent pid twice a second (a signal on parent death would follow the thread
/// that spawned the process, not the process).
enum ParentWatch {
    static func startIfRequested() {
        guard ProcessInfo.processInfo.environment["AZTEC_P2P_EXIT_WITH_PARENT"] == "1" else { return }
        let parent = getppid()
        Thread.detachNewThread {
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                if getppid() != parent {
                    FileHandle.standardError.write(Data("aztec-p2p: parent process \(parent) is gone, exiting\n".utf8))
                    exit(2)
                }
            }
        }
    }
}
