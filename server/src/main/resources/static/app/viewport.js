// The app's height on phones: the on-screen keyboard shrinks the visual viewport but (in most
// browsers) not the layout viewport, so a full-height layout would leave the composer and the
// newest message under the keyboard. The visible height is put in --app-height (style.css uses
// it, after 100dvh); a CSSOM custom property, which the page's CSP allows (no style attribute
// in markup).

export function followVisualViewport() {
  const vv = window.visualViewport;
  if (!vv) return () => {};
  const root = document.documentElement;
  const update = () => {
    root.style.setProperty('--app-height', `${Math.round(vv.height)}px`);
    if (vv.offsetTop > 0) window.scrollTo(0, 0); // iOS scrolls the page up to show the field: keep the header
  };
  vv.addEventListener('resize', update);
  update();
  return () => {
    vv.removeEventListener('resize', update);
    root.style.removeProperty('--app-height');
  };
}
