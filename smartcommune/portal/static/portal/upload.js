// Draft form, with JavaScript: each chosen file goes up in 1 MB pieces through the portal API, so
// that a dropped connection costs one piece, not the whole file (the upload asks how far it got
// and goes on). Without JavaScript the form posts whole files, which works just as well on a good
// link. The server checks every piece and the joined file; this script only drives the transfer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-start]");
  if (!form || !window.fetch || !window.Blob) return;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var base = form.getAttribute("data-upload-base");

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function call(method, url, body, type) {
    var headers = { "X-CSRFToken": csrf, "Accept": "application/json" };
    if (type) headers["Content-Type"] = type;
    return fetch(url, { method: method, body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            var error = new Error(data.detail || String(response.status));
            error.status = response.status;
            throw error;
          }
          return data;
        });
      });
  }

  // Where the upload stands, asked again until the link is back (a few tries, waiting longer each time).
  async function standing(id) {
    for (var attempt = 1; ; attempt++) {
      try {
        return await call("GET", base + id);
      } catch (error) {
        if (error.status || attempt >= 8) throw error;
        await wait(Math.min(1000 * attempt, 8000));
      }
    }
  }

  async function send(input, file, status) {
    var upload = await call("POST", form.getAttribute("data-upload-start"), JSON.stringify({
      component: Number(input.getAttribute("data-component")), name: file.name, size: file.size
    }), "application/json");
    var offset = 0;
    var failures = 0;
    while (offset < file.size) {
      try {
        upload = await call("PUT", base + upload.id + "?offset=" + offset,
          file.slice(offset, offset + upload.chunk_size), "application/octet-stream");
        failures = 0;
      } catch (error) {
        // 409: the piece did not continue the upload; a network error: the answer was lost.
        if (error.status && error.status !== 409) throw error;
        if (++failures > 8) throw error;
        await wait(Math.min(500 * failures, 8000));
        upload = await standing(upload.id);
      }
      offset = upload.received;
      status.textContent = Math.floor((offset * 100) / file.size) + " %";
    }
    await call("POST", base + upload.id + "/finish");
  }

  // While a file is on its way the form is not sent (it would go without that file).
  var pending = 0;
  function busy(delta) {
    pending += delta;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = pending > 0;
    });
  }

  form.querySelectorAll("input[type=file][data-component]").forEach(function (input) {
    var status = document.getElementById(input.id + "_progress");
    input.addEventListener("change", async function () {
      var file = input.files[0];
      if (!file || !status) return;
      input.disabled = true;
      busy(1);
      status.textContent = "0 %";
      try {
        await send(input, file, status);
        input.value = ""; // stored already: the form does not send it again
        status.textContent = form.getAttribute("data-done-text") + " " + file.name;
      } catch (error) {
        status.textContent = form.getAttribute("data-fail-text") + " " + error.message;
      }
      input.disabled = false;
      busy(-1);
    });
  });
})();
