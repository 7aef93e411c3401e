/* Resumable evidence upload (tus 1.0) for the evidence form, with the vendored tus-js-client.
 *
 * Without JavaScript (or without tus support) the form posts the file in one request, hashed
 * as it streams in. With it, submitting the form first sends the file with tus in 50 MB
 * PATCH requests — an interrupted upload resumes where it stopped, also after a page reload
 * when the same file is chosen again (tus-js-client keeps a fingerprint in localStorage) —
 * then posts the form with the finished upload's id instead of the file. */
(function () {
  "use strict";

  var form = document.getElementById("evidence-form");
  if (!form || !window.tus || !window.tus.isSupported) {
    return;
  }
  var input = form.querySelector("input[type=file][name=file]");
  var hidden = form.querySelector("input[name=upload_id]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var submit = document.getElementById("evidence-submit");
  var box = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var status = document.getElementById("upload-status");
  var pause = document.getElementById("upload-pause");
  if (!input || !hidden || !token || !box) {
    return;
  }
  var upload = null;
  var running = false;
  var finishing = false;

  function mb(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function say(text) {
    status.textContent = text;
  }

  function field(name) {
    var el = form.querySelector("[name=" + name + "]");
    return el ? el.value : "";
  }

  function finish() {
    // The bytes are on the server, hashed; register them with the form's data.
    var parts = upload.url.split("/");
    hidden.value = parts[parts.length - 1];
    input.disabled = true; // a disabled input is not sent: the file is not posted again
    finishing = true;
    say("文件已上传完成，正在登记…");
    form.submit();
  }

  function owner(metadata) {
    // A case's evidence names the case; a random inspection task's names its holder
    // ("inspections.task:12", records.evidence.holders).
    if (form.getAttribute("data-holder")) {
      metadata.holder = form.getAttribute("data-holder");
    } else {
      metadata["case"] = form.getAttribute("data-case");
    }
    return metadata;
  }

  function start(file) {
    upload = new window.tus.Upload(file, {
      endpoint: form.getAttribute("data-tus-endpoint"),
      chunkSize: 50 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      headers: { "X-CSRFToken": token.value },
      metadata: owner({
        filename: file.name,
        filetype: file.type || "",
        kind: field("kind")
      }),
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        var pct = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = pct;
        say("已上传 " + mb(sent) + " / " + mb(total) + "（" + pct + "%）");
      },
      onError: function (error) {
        running = false;
        submit.disabled = false;
        pause.textContent = "继续";
        var text = (error && error.originalResponse && error.originalResponse.getBody()) || "";
        say("上传中断：" + (text || "网络错误") + "。已上传的部分会保留，点“继续”或重新提交即可接着上传。");
      },
      onSuccess: finish
    });
    box.hidden = false;
    submit.disabled = true;
    running = true;
    pause.textContent = "暂停";
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        say("找到上次未完成的上传，从中断处继续…");
      } else {
        say("开始上传…");
      }
      upload.start();
    });
  }

  form.addEventListener("submit", function (event) {
    if (finishing) {
      return;
    }
    var file = input.files && input.files[0];
    if (!file) {
      return; // no new file: a plain post (e.g. an upload finished earlier, id in the form)
    }
    event.preventDefault();
    if (!form.reportValidity || form.reportValidity()) {
      start(file);
    }
  });

  pause.addEventListener("click", function () {
    if (!upload) {
      return;
    }
    if (running) {
      upload.abort();
      running = false;
      submit.disabled = false;
      pause.textContent = "继续";
      say("已暂停。点“继续”接着上传。");
    } else {
      running = true;
      submit.disabled = true;
      pause.textContent = "暂停";
      say("继续上传…");
      upload.start();
    }
  });
})();
