/// The page at `/`: drop an image or pick an example, and see the answer, the votes per class as bars and
/// each member's answer. Everything is inline (no external script, style or font), so it works offline.
/// `/?example=N` votes example N as soon as the page loads, which links to an answer and lets a headless
/// browser test the page.
enum ServePage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Quorum ensemble</title>
        <style>
        body { font: 16px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
        main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0; }
        #drop { border: 2px dashed #777; border-radius: .5rem; padding: 1.5rem; text-align: center; background: #fff; }
        #drop.over { border-color: #0057b8; background: #eef4ff; }
        #examples { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; }
        #examples button { padding: 0; border: 2px solid #ccc; background: #000; cursor: pointer; }
        #examples button:focus, #examples button:hover { border-color: #0057b8; }
        canvas { display: block; width: 56px; height: 56px; image-rendering: pixelated; }
        #answer { font-size: 1.6rem; font-weight: 600; margin: .25rem 0; }
        h2 { font-size: 1.1rem; margin: 1rem 0 .4rem; }
        .bar { display: grid; grid-template-columns: 7rem 1fr 9.5rem; gap: .5rem; align-items: center; margin: 2px 0; }
        .bar span:last-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
        .track { background: #e6e6e6; height: 1rem; border-radius: 2px; }
        .fill { background: #0057b8; height: 100%; border-radius: 2px; }
        .win .fill { background: #b35900; }
        table { border-collapse: collapse; margin-top: .5rem; }
        td, th { padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }
        #error { color: #a00000; white-space: pre-wrap; }
        label { font-size: .9rem; }
        </style>
        </head>
        <body>
        <main>
        <h1>Quorum ensemble</h1>
        <p id="about">Loading the ensemble…</p>
        <p><label>Bearer token (only if the server asks for one):
        <input id="token" type="password" autocomplete="off"></label></p>
        <div id="drop">Drop an image here (PNG, JPEG or PGM), or <input id="file" type="file" accept="image/*,.pgm"></div>
        <div id="examples" aria-label="Test images to try"></div>
        <section id="result" aria-live="polite" hidden>
        <p id="answer"></p>
        <p id="summary"></p>
        <h2>Votes per class</h2>
        <div id="bars" role="img" aria-label="Votes and probability per class"></div>
        <h2>Members</h2>
        <table><thead><tr><th>Member</th><th>Answer</th><th>Probability</th></tr></thead><tbody id="members"></tbody></table>
        </section>
        <p id="error" role="alert"></p>
        </main>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        let shape = null, examples = [];
        function headers(extra) {
          const h = Object.assign({}, extra);
          const token = $("token").value.trim();
          if (token) h["Authorization"] = "Bearer " + token;
          return h;
        }
        async function json(response) {
          const body = await response.json();
          if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
          return body;
        }
        function draw(canvas, pixels) {
          const [h, w, c] = shape;
          canvas.width = w; canvas.height = h;
          const ctx = canvas.getContext("2d"), img = ctx.createImageData(w, h);
          for (let p = 0; p < h * w; p++) {
            for (let k = 0; k < 3; k++) img.data[p * 4 + k] = pixels[p * c + (c === 3 ? k : 0)];
            img.data[p * 4 + 3] = 255;
          }
          ctx.putImageData(img, 0, 0);
        }
        function show(answer) {
          $("error").textContent = "";
          $("result").hidden = false;
          const a = $("answer");
          a.textContent = answer.class_name;
          a.dataset.class = answer.class;
          const total = answer.votes.reduce((s, v) => s + v, 0);
          $("summary").textContent = answer.rule + " vote, probability " + answer.probability.toFixed(3) +
            ", agreement " + Math.round(answer.agreement * 100) + " % (" + answer.votes[answer.class] + " of " + total + ")";
          const bars = $("bars");
          bars.textContent = "";
          answer.probabilities.forEach((p, k) => {
            const row = document.createElement("div");
            row.className = "bar" + (k === answer.class ? " win" : "");
            const name = document.createElement("span");
            name.textContent = window.classNames ? window.classNames[k] : k;
            const track = document.createElement("div"), fill = document.createElement("div");
            track.className = "track"; fill.className = "fill";
            fill.style.width = (total ? 100 * answer.votes[k] / total : 0) + "%";
            track.appendChild(fill);
            const value = document.createElement("span");
            value.textContent = answer.votes[k] + " votes, p " + p.toFixed(3);
            row.append(name, track, value);
            bars.appendChild(row);
          });
          const body = $("members");
          body.textContent = "";
          (answer.members || []).forEach((m) => {
            const tr = document.createElement("tr");
            [m.name, m.class_name, m.probability.toFixed(3)].forEach((t) => {
              const td = document.createElement("td"); td.textContent = t; tr.appendChild(td);
            });
            body.appendChild(tr);
          });
        }
        async function vote(body, extra) {
          try {
            const r = await fetch("/v1/vote?members=1", { method: "POST", headers: headers(extra), body });
            show((await json(r)).answers[0]);
          } catch (e) {
            $("result").hidden = true;
            $("error").textContent = e.message;
          }
        }
        function voteExample(i) {
          const e = examples[i];
          if (!e) { $("error").textContent = "no example " + i; return; }
          const bytes = Uint8Array.from(atob(e.pixels), (ch) => ch.charCodeAt(0));
          vote(bytes, { "Content-Type": "application/octet-stream", "X-Image-Shape": shape.join(",") });
        }
        function voteFile(file) {
          if (file) vote(file, { "Content-Type": file.type || "application/octet-stream" });
        }
        async function start() {
          try {
            const e = await json(await fetch("/v1/ensemble", { headers: headers({}) }));
            window.classNames = e.class_names;
            $("about").textContent = e.members.length + " members, " + e.vote_rule + " vote, input " +
              e.input_shape.join("×") + ", classes: " + e.class_names.join(", ");
            const x = await json(await fetch("/v1/examples", { headers: headers({}) }));
            shape = x.shape; examples = x.examples;
            const box = $("examples");
            box.textContent = "";
            examples.forEach((ex) => {
              const b = document.createElement("button"), c = document.createElement("canvas");
              b.type = "button";
              b.title = "Example " + ex.index + (ex.label_name ? " (" + ex.label_name + ")" : "");
              b.setAttribute("aria-label", b.title);
              draw(c, Uint8Array.from(atob(ex.pixels), (ch) => ch.charCodeAt(0)));
              b.appendChild(c);
              b.onclick = () => voteExample(ex.index);
              box.appendChild(b);
            });
            const pick = new URLSearchParams(location.search).get("example");
            if (pick !== null) voteExample(Number(pick));
          } catch (err) {
            $("error").textContent = err.message + " (enter the token and reload if the server needs one)";
          }
        }
        const drop = $("drop");
        drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
        drop.addEventListener("dragleave", () => drop.classList.remove("over"));
        drop.addEventListener("drop", (e) => {
          e.preventDefault(); drop.classList.remove("over"); voteFile(e.dataTransfer.files[0]);
        });
        $("file").addEventListener("change", (e) => voteFile(e.target.files[0]));
        $("token").addEventListener("change", start);
        start();
        </script>
        </body>
        </html>
        """#
}
