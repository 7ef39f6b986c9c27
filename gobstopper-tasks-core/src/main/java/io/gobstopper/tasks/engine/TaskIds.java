package io.gobstopper.tasks.engine;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes time-ordered task ids (UUID version 7): 48 bits of milliseconds, a 12-bit counter that keeps ids made in
 * the same millisecond in order, and 62 random bits.
 */
final class TaskIds {

    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int counter;

    synchronized UUID next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            counter = random.nextInt(0x800); // start low, leaving room to count up within the millisecond
        } else if (++counter > 0xFFF) {
            lastMillis++; // borrow the next millisecond rather than go out of order
            counter = 0;
        }
        long msb = (lastMillis << 16) | 0x7000L | counter;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
