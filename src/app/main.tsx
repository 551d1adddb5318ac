import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startWorkspace } from './actions/newWorkspace.ts';
import { installAutoTrace } from './actions/trace.ts';
import { detectGpu } from './gpu.ts';
import { installHistory } from './history.ts';
import { installInputLatencyProbe } from './latencyProbe.ts';
import './styles.css';
import { installAutosave } from './workspace.ts';

installInputLatencyProbe();
installAutoTrace();
installHistory();
installAutosave();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void detectGpu();
void startWorkspace();
