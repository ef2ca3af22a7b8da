// Follicle clinic theme: click-to-load videos. Until the patient clicks, the page
// asks nothing of YouTube or Vimeo; the click swaps the link for the player
// (youtube-nocookie.com / player.vimeo.com, with dnt=1).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.video-facade[data-embed]");
  if (!link) return;
  var url = link.getAttribute("data-embed");
  if (!/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(url)) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.className = "video-frame";
  frame.src = url;
  frame.title = link.getAttribute("data-title") || "";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.setAttribute("allowfullscreen", "");
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  link.replaceWith(frame);
  frame.focus();
});
