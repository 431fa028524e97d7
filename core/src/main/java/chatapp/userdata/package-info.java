/**
 * The user's own data (issue 22): downloading it ({@link chatapp.userdata.DataExport}), deleting
 * the account ({@link chatapp.userdata.AccountDeletion}) and how long messages are kept
 * ({@link chatapp.userdata.Retention}). What each keeps and removes, and why: docs/audit.md.
 * Their store operations are on the ports of the features they touch (UserStore, ChatStore,
 * MediaStore, MediaFiles) and on {@link chatapp.userdata.ExportStore}.
 */
package chatapp.userdata;
