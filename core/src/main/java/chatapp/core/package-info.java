/**
 * What every feature of ChatApp shares: the contract's error codes and refusals, pages and
 * their tamper-proof cursors. Plain Java, no dependencies.
 */
package chatapp.core;
