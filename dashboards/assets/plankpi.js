// Keyboard: Enter on a focused grid cell opens its row, as a click does (AG Grid moves the focus
// between cells with the arrow keys; a click on the cell is what the page listens for).
document.addEventListener('keydown', function (event) {
  if (event.key !== 'Enter' || !event.target || !event.target.closest) { return; }
  var cell = event.target.closest('.ag-cell');
  if (cell && !event.target.closest('.ag-popup')) {
    cell.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
  }
});
