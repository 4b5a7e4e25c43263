"""Layer 4, evaluation: every metric (accuracy, PSNR/SSIM, denoising scores, GAN scores, timing). Imports
the layers below."""
