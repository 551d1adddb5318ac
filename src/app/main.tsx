import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { openDemo } from './actions/loadInputs.ts';
import { installAutoTrace } from './actions/trace.ts';
import { detectGpu } from './gpu.ts';
import { installInputLatencyProbe } from './latencyProbe.ts';
import './styles.css';

installInputLatencyProbe();
installAutoTrace();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void detectGpu();
void openDemo();
