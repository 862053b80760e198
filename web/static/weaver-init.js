// Marks the page as scripted before it paints, so GOV.UK Frontend styles enhanced components.
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
