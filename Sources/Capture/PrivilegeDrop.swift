// Dropping root after a live device is opened (`-Z USER`), as tcpdump's droproot() does.

import Glibc

/// Gives up root for good: supplementary groups, group, then user, then checks it cannot return.
public enum PrivilegeDrop {
    /// The user tcpdump-style tools fall back to when running as root without `-Z`.
    public static let defaultUsers = ["tcpdump", "nobody"]

    /// Whether the process runs with root's effective user id.
    public static var isRoot: Bool { geteuid() == 0 }

    /// Switches to `user`. `root` (or not being root) is a no-op.
    public static func drop(to user: String) throws(PcapError) {
        guard isRoot, user != "root" else { return }
        guard let entry = unsafe getpwnam(user) else {
            throw PcapError(.privileges, message: "cannot drop privileges: no user named '\(user)'")
        }
        let uid = unsafe entry.pointee.pw_uid
        let gid = unsafe entry.pointee.pw_gid
        guard initgroups(user, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw PcapError(.privileges, message: "cannot drop privileges to '\(user)': \(String(cString: strerror(errno)))")
        }
        // setuid(0) must now fail; if it succeeds the drop did not take.
        if setuid(0) == 0 {
            throw PcapError(.privileges, message: "dropping privileges to '\(user)' did not take effect")
        }
    }

    /// The effective user's name, for messages; nil when the account has no entry.
    public static var currentUserName: String? {
        guard let entry = unsafe getpwuid(geteuid()), let name = unsafe entry.pointee.pw_name else { return nil }
        return unsafe String(cString: name)
    }

    /// The first of `defaultUsers` that exists on this host, if any.
    public static func defaultUser() -> String? {
        defaultUsers.first { unsafe getpwnam($0) != nil }
    }
}
