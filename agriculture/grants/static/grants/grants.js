/* The subsidy while the applicant types: asks the amount-calculation API (the same formula the
   server applies again on save and on submission) and shows the result in #amount-live.
   No inline script (the Content-Security-Policy forbids it); the page works without this file. */
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch) { return; }
  var output = document.getElementById("amount-live");
  var note = document.getElementById("amount-note");
  var url = form.getAttribute("data-calculate-url");
  var timer = null;
  var latest = 0;

  function yen(amount) {
    return form.getAttribute("data-yen").replace("{amount}", Number(amount).toLocaleString("en-US"));
  }

  function whole(value) {
    // 1,200,000 / １２０００００ / 1200000円 -> 1200000; anything else -> NaN
    var text = (value || "").normalize("NFKC").replace(/[,\s]/g, "").replace(/円$/, "");
    if (text === "") { return 0; }
    return /^[0-9]+$/.test(text) ? parseInt(text, 10) : NaN;
  }

  function costs() {
    var values = [];
    form.querySelectorAll("input[name$='-cost']").forEach(function (input) {
      values.push(whole(input.value));
    });
    return values;
  }

  function national() {
    var input = form.querySelector("input[name='national_subsidy']");
    return input ? whole(input.value) : 0;
  }

  function show(text, explanation) {
    output.textContent = text;
    if (note && explanation !== undefined) { note.textContent = explanation; }
  }

  function calculate() {
    var list = costs().filter(function (value) { return value !== 0; });
    var other = national();
    if (list.some(isNaN) || isNaN(other)) {
      show(form.getAttribute("data-text-error"), "");
      return;
    }
    var request = ++latest;
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify({ costs: list, national_subsidy: other })
    }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(response.status);
    }).then(function (result) {
      if (request !== latest) { return; }
      show(form.getAttribute("data-text-amount").replace("{amount}", yen(result.amount)),
           form.getAttribute("data-text-" + result.limited_by) || "");
    }).catch(function () {
      if (request === latest) { show(form.getAttribute("data-text-error"), ""); }
    });
  }

  form.addEventListener("input", function (event) {
    var name = event.target.name || "";
    if (/-cost$/.test(name) || name === "national_subsidy") {
      clearTimeout(timer);
      timer = setTimeout(calculate, 300);
    }
  });
})();
