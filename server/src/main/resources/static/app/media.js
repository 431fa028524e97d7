// Photos and videos: upload with progress (XMLHttpRequest, since fetch reports none), and
// display. GET /media/{id} needs the access token and answers 302 to a short-lived signed URL
// (API.md), which an <img src> cannot follow with a token; so images are fetched and shown
// from blob: URLs, and videos play from the signed URL the redirect leads to.

import { accessToken, refresh, ApiError } from './session.js';

export const ACCEPT = 'image/*,video/*';

/** "image" or "video" for a picked or dropped file, else null. */
export function kindOf(file) {
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('video/')) return 'video';
  return null;
}

/**
 * Uploads a file to POST /media as multipart field `file`. onProgress(0..1).
 * Resolves to {mediaId, contentType, size, width?, height?}; rejects with ApiError.
 */
export async function upload(file, onProgress, signal) {
  let token = await accessToken();
  let result = await send(file, token, onProgress, signal);
  if (result.status === 401) {
    token = await refresh(token);
    result = await send(file, token, onProgress, signal);
  }
  if (result.status >= 200 && result.status < 300) return result.body;
  throw new ApiError(result.status, result.body, result.retryAfter);
}

function send(file, token, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/media');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = e => e.lengthComputable && onProgress && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not JSON
      }
      resolve({ status: xhr.status, body, retryAfter: xhr.getResponseHeader('Retry-After') });
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    if (signal) signal.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name || 'upload');
    xhr.send(form);
  });
}

const blobs = new Map(); // `${mediaId}/${variant}` -> Promise<blob: URL>

/** A blob: URL of a media variant ('thumbnail' or 'original'), fetched once per page. */
export function mediaBlobUrl(mediaId, variant) {
  const key = `${mediaId}/${variant}`;
  if (!blobs.has(key)) {
    const p = fetchMedia(mediaId, variant).then(async res => URL.createObjectURL(await res.blob()));
    p.catch(() => blobs.delete(key)); // let a later view try again
    blobs.set(key, p);
  }
  return blobs.get(key);
}

/**
 * A URL a <video> can play: the signed URL the API redirects to (so the browser streams it with
 * range requests), or a blob: URL when the server answered with the bytes themselves.
 */
export async function playableUrl(mediaId) {
  const controller = new AbortController();
  const res = await fetchMedia(mediaId, 'original', controller.signal);
  if (res.redirected) {
    controller.abort(); // only the address was needed
    return res.url;
  }
  return URL.createObjectURL(await res.blob());
}

async function fetchMedia(mediaId, variant, signal) {
  const path = `/api/v1/media/${encodeURIComponent(mediaId)}?variant=${variant}`;
  let token = await accessToken();
  let res = await get(path, token, signal);
  if (res.status === 401) {
    token = await refresh(token);
    res = await get(path, token, signal);
  }
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, problem);
  }
  return res;
}

async function get(path, token, signal) {
  try {
    return await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
}
