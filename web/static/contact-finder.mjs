// The quick log's contact finder, enhanced: suggestions appear as you type (an ARIA 1.2
// combobox with a list box), and choosing one adds a ticked box for that contact. Without
// this script the Find button does the same through the server.

const DELAY_MS = 150;

function contactBox(contact) {
  // Built from text nodes only: a contact's name is never read as HTML.
  const boxId = `contact_id-${contact.id}`;
  const item = document.createElement("div");
  item.className = "govuk-checkboxes__item";
  const input = document.createElement("input");
  input.className = "govuk-checkboxes__input";
  input.type = "checkbox";
  input.name = "contact_id";
  input.value = String(contact.id);
  input.id = boxId;
  input.checked = true;
  input.setAttribute("aria-describedby", `${boxId}-kind`);
  const label = document.createElement("label");
  label.className = "govuk-label govuk-checkboxes__label";
  label.htmlFor = boxId;
  const name = document.createElement("bdi");
  name.textContent = contact.name;
  label.append(name);
  const hint = document.createElement("div");
  hint.id = `${boxId}-kind`;
  hint.className = "govuk-hint govuk-checkboxes__hint";
  hint.textContent = contact.kind;
  item.append(input, label, hint);
  return item;
}

class ContactFinder {
  constructor(finder) {
    this.input = finder.querySelector("input[name=find]");
    this.form = finder.closest("form");
    this.chosen = this.form.querySelector("[data-weaver-chosen]");
    this.source = finder.dataset.source;
    this.options = [];
    this.active = -1;
    this.asked = 0;
    this.listbox = document.createElement("ul");
    this.listbox.id = "contact-finder-options";
    this.listbox.className = "weaver-contact-finder__options";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", "Matching contacts");
    this.listbox.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "govuk-visually-hidden";
    this.status.setAttribute("role", "status");
    finder.append(this.listbox, this.status);

    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.lookUp(), DELAY_MS);
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 200));
    // Keep the focus in the box while an option is clicked.
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
  }

  chosenIds() {
    return new Set(
      [...this.form.querySelectorAll("input[name=contact_id]:checked")].map((box) => box.value),
    );
  }

  async lookUp() {
    const text = this.input.value.trim();
    const ticket = ++this.asked;
    if (!text) {
      this.show([]);
      return;
    }
    let found;
    try {
      const response = await fetch(`${this.source}?q=${encodeURIComponent(text)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      found = (await response.json()).contacts;
    } catch {
      return; // the Find button still works
    }
    if (ticket !== this.asked) return; // a newer answer is on its way
    const chosen = this.chosenIds();
    this.show(found.filter((contact) => !chosen.has(String(contact.id))));
  }

  show(contacts) {
    this.options = contacts;
    this.active = -1;
    this.listbox.replaceChildren(
      ...contacts.map((contact, index) => {
        const option = document.createElement("li");
        option.id = `contact-finder-option-${index}`;
        option.className = "weaver-contact-finder__option govuk-body govuk-!-margin-bottom-0";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const name = document.createElement("bdi");
        name.textContent = contact.name;
        const kind = document.createElement("span");
        kind.className = "weaver-contact-finder__kind";
        kind.textContent = ` (${contact.kind})`;
        option.append(name, kind);
        option.addEventListener("click", () => this.choose(index));
        return option;
      }),
    );
    const open = contacts.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.input.removeAttribute("aria-activedescendant");
    if (this.input.value.trim()) {
      this.status.textContent = open
        ? `${contacts.length} ${contacts.length === 1 ? "contact matches" : "contacts match"}: use the down arrow to choose`
        : "No contacts match";
    }
  }

  highlight(index) {
    this.active = index;
    [...this.listbox.children].forEach((option, position) => {
      const on = position === index;
      option.setAttribute("aria-selected", String(on));
      option.classList.toggle("weaver-contact-finder__option--active", on);
      if (on) {
        this.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }

  onKey(event) {
    const count = this.options.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      this.highlight((this.active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      this.highlight((this.active - 1 + count) % count);
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape" && count) {
      event.preventDefault();
      this.close();
    }
  }

  choose(index) {
    const contact = this.options[index];
    const existing = this.form.querySelector(`input[name=contact_id][value="${contact.id}"]`);
    if (existing) {
      existing.checked = true;
    } else {
      this.chosen.append(contactBox(contact));
    }
    this.input.value = "";
    this.close();
    this.status.textContent = `Added ${contact.name}`;
    this.input.focus();
  }

  close() {
    this.options = [];
    this.active = -1;
    this.listbox.hidden = true;
    this.listbox.replaceChildren();
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}

for (const finder of document.querySelectorAll('[data-module="weaver-contact-finder"]')) {
  new ContactFinder(finder);
}
