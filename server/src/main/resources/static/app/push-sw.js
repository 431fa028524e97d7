// Web Push handlers (issue 20), loaded by sw.js with importScripts('push-sw.js'). A placeholder
// until the push work lands: it must exist, since a failing importScripts stops the service
// worker from installing. Notification clicks are handled in sw.js for every notification whose
// data names a conversationId (tag: chatapp-conversation-<conversationId>, so that a push and an
// in-page notification for the same conversation collapse into one).
