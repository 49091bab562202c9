/**
 * What hosts implement for the decision engine: the customer's contact history, observed
 * conversion rates from the feedback loop, the persistence of approvals, and the store of each
 * customer's last segment analysis. Each interface has an in-memory implementation in the library.
 */
@NullMarked
package dev.opagent.agent.spi;

import org.jspecify.annotations.NullMarked;
