package dev.opagent.agent.strategy;

import java.util.Locale;

/**
 * The four kinds of strategy: conversion by purchase stage, retention of cooling customers,
 * repurchase by buyers, win-back of lapsed customers. Thread-safe (an enum).
 */
public enum StrategyType {
  /** Move browsing or deciding customers to a (first) purchase. */
  CONVERSION,
  /** Keep cooling customers from lapsing. */
  RETENTION,
  /** Bring existing buyers back for their next order (replenishment, cross-sell). */
  REPURCHASE,
  /** Win back customers who are at risk or lost. */
  WINBACK;

  /** The lower-case name used in rule tags ({@code winback}). */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
