package chatapp.core;

/**
 * One invalid input field, as in the {@code errors} array of an RFC 9457 problem document
 * (API.md). {@code field} is the JSON name of the field as the client sent it.
 */
public record FieldError(String field, String message) {
}
