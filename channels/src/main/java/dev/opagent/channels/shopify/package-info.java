/**
 * The Shopify Admin GraphQL channel: single-use discount codes for {@code create_discount} actions.
 */
@NullMarked
package dev.opagent.channels.shopify;

import org.jspecify.annotations.NullMarked;
