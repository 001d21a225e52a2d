package io.clustermesh.controller.rotation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Outside Kubernetes: an OS file lock, so two service processes on one machine (or sharing a
 * directory) never both run scheduled rotations. Held for the life of the process once taken.
 */
public final class LocalLeaderElection implements LeaderElection {
    private final Path lockFile;
    private FileChannel channel;
    private FileLock lock;

    public LocalLeaderElection(Path lockFile) {
        this.lockFile = lockFile;
    }

    @Override
    public synchronized boolean tryLead() {
        if (lock != null && lock.isValid()) {
            return true;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            lock = channel.tryLock();
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    @Override
    public synchronized String holder() {
        return lock != null && lock.isValid() ? "this process (" + lockFile + ")" : null;
    }
}
