/**
 * What every feature of ChatApp shares: the contract's error codes and refusals, pages and
 * their tamper-proof cursors, the rate limiter. Plain Java; Bucket4j for the rate-limit arithmetic.
 */
package chatapp.core;
