package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data directory and the files around it: created 0750, the admin token 0640, a world-readable config warned about. */
final class DataDir {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private DataDir() {
    }

    /** A configuration file holds bind passwords and keys: say so when every user of the host can read it. */
    static void warnIfOthersCanRead(String source, boolean holdsSecrets) {
        if (!holdsSecrets) {
            return; // every secret comes from a file or the environment: nothing to warn about
        }
        try {
            java.nio.file.Path f = source == null ? null : java.nio.file.Path.of(source);
            if (f != null && java.nio.file.Files.isRegularFile(f)
                    && java.nio.file.Files.getPosixFilePermissions(f).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                LOG.warn("configuration {} is readable by every user of this host and holds passwords and keys: chmod 0640 it"
                        + " (owner root or you, group smppgw), or keep secrets in the environment", f);
            }
        } catch (java.io.IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
            // not a file on a POSIX file system: nothing to say
        }
    }

    /** The data directory, created for the gateway's user and group only (0750) if it is not there: it holds numbers and texts. */
    static void create(java.nio.file.Path dir) {
        if (java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---")));
            java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---")); // whatever the umask
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The file the admin token is in (no admin.api-key configured): {@code <data-dir>/admin.token}. */
    static java.nio.file.Path adminTokenFile(java.nio.file.Path dataDir) {
        return dataDir.resolve("admin.token");
    }

    /** Writes the admin token, owner and group readable only (0640), replacing any earlier one; removes it when a key is configured. */
    static void writeAdminToken(java.nio.file.Path dataDir, String token) {
        java.nio.file.Path f = adminTokenFile(dataDir);
        try {
            if (token == null) {
                java.nio.file.Files.deleteIfExists(f);
                return;
            }
            java.nio.file.Path tmp = f.resolveSibling("admin.token.tmp");
            java.nio.file.Files.deleteIfExists(tmp);
            java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")));
            java.nio.file.Files.writeString(tmp, token + "\n");
            java.nio.file.Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the admin token " + f + ": " + e.getMessage(), e);
        }
    }
}
