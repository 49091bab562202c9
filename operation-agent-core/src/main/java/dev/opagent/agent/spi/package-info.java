/**
 * What hosts implement for the decision engine: the customer's contact history, observed
 * conversion rates from the feedback loop and the persistence of approvals. Each interface has an
 * in-memory implementation in the library.
 */
@NullMarked
package dev.opagent.agent.spi;

import org.jspecify.annotations.NullMarked;
