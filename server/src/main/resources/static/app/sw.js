importScripts('push-sw.js');
