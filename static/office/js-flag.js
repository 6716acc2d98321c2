// Marks the page as scripted before it paints (CSS shows script-only controls under .js).
document.documentElement.classList.add("js");
