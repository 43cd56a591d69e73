// The profile button shows and hides the profile menu, as the app's avatar button does.
const button = document.getElementById('profile-button');
const menu = document.getElementById('profile-menu');
button.addEventListener('click', () => {
  menu.hidden = !menu.hidden;
  button.setAttribute('aria-expanded', String(!menu.hidden));
});
