package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.contract.TestStorage;

/**
 * The engine's behaviour on a store: every {@code *Contract} interface of this package holds one behaviour's tests as
 * default methods, and each store's test class implements the contracts its store keeps, so every store is held to
 * the same tests. A contract a store does not implement is a capability that store declares it lacks.
 */
public interface EngineContract {

    /** New storage of the store kind under test, for one engine fixture (which forgets it when it closes). */
    TestStorage storage();
}
