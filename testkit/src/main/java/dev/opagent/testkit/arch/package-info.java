/**
 * Architecture rules of the library's public API, as ArchUnit rules for any module's tests (see
 * {@link dev.opagent.testkit.arch.ApiRules}). Needs ArchUnit on the test class path: the testkit
 * declares it optional.
 */
@NullMarked
package dev.opagent.testkit.arch;

import org.jspecify.annotations.NullMarked;
