package io.gobstopper.tasks.engine;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes time-ordered task ids (UUID version 7): 48 bits of milliseconds, a 12-bit counter that keeps ids made in
 * the same millisecond in order, and 62 random bits.
 */
final class TaskIds {

    private final SecureRandom random = new SecureRandom();
    /** Random bits drawn in bulk: one draw serves 1,024 ids, so the random source is not on every submit's path. */
    private final ByteBuffer pool = ByteBuffer.allocate(8 * 1024).position(8 * 1024);

    private long lastMillis = -1;
    private int counter;

    synchronized UUID next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            counter =
                    (int) (nextRandom() >>> 53); // 11 bits: start low, leaving room to count up within the millisecond
        } else if (++counter > 0xFFF) {
            lastMillis++; // borrow the next millisecond rather than go out of order
            counter = 0;
        }
        long msb = (lastMillis << 16) | 0x7000L | counter;
        long lsb = (nextRandom() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    private long nextRandom() {
        if (!pool.hasRemaining()) {
            random.nextBytes(pool.array());
            pool.clear();
        }
        return pool.getLong();
    }
}
